"""The fictional demo directory and its accounts, generated deterministically."""
