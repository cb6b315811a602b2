"""Domain logic shared by the UI, the command line and plugins. No Textual."""
