"""Streamlit helpers shared by the pages: session state, messages. No math lives here."""
