"""The dashboard's helpers, shared by `streamlit_app.py` and `pages/`: who the user is, widgets drawn by
several pages, and safe display text."""
