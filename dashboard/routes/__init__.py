"""Flask routes registered on the Dash app's server."""
