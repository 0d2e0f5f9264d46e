"""Embedding Explorer: the router. Each page is one step of the story; see views/, and
ui/pages.py for the list of pages.

The pages live in views/, not pages/: with a folder named pages/, Streamlit also runs its older
file-based navigation, and a link straight to a page on a fresh server showed that menu instead.
"""

import logging

import streamlit as st

from ui import pages, persistence, room_state, server_tuning

server_tuning.skip_keras_clear_session()
server_tuning.sweep_ended_sessions()

st.set_page_config(page_title="Embedding Explorer", page_icon=":material/explore:", layout="wide")

page = st.navigation(pages.navigation())
# The page address keeps the reviews and settings, so a refresh or a new session gets them back.
with persistence.work_kept():
    try:
        # A room's attendee stays in the room across pages and refreshes (`member=`).
        room_state.keep_in_address()
        room_state.sidebar_note()
        pages.open_at_top(page)
        page.run()
    except Exception:  # Streamlit's own stop and rerun signals are BaseExceptions and pass through.
        # A bug must never show the user a traceback or take their work: log it, say so, go on.
        logging.getLogger("embedding_explorer").exception("page %s failed", page.title)
        st.error(
            "Something went wrong on this page. Your reviews and settings are kept. "
            "Try again, or change a setting; if it keeps happening, press Start over below "
            "(it drops this session's reviews and settings and loads the sample), and please "
            "report it."
        )
        if st.button("Start over", key="app_start_over", icon=":material/restart_alt:"):
            persistence.start_over()
