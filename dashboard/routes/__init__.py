"""Flask routes mounted on the Dash app's server (entry points, like the command line)."""
