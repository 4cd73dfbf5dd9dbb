"""A probe for tests/security/test_markup_in_browser.py: the payloads given to Streamlit UNESCAPED, in
the places the dashboard uses (Markdown, a button label, a warning), so the test can prove its detectors
see markup when it is rendered. Never part of the product."""

import os

import streamlit as st

text = os.environ["PROBE_TEXT"] + "\n\n    들여쓴코드표식\n\n밑줄제목표식\n====="
st.markdown(text)
st.markdown(text, unsafe_allow_html=True)  # the raw-HTML payloads render only with this (never used by us)
st.button(text)
st.warning(text)
st.caption("probe-ready")
