"""Flask routes beside the Dash pages: exports, the Integration Lab API and admin, datasets, HTTP status."""
