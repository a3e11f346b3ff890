"""Every word the app shows: `en/<tab>.py` and `ru/<tab>.py` define the same UPPERCASE names."""
