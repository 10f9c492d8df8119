"""Classification: genre (文种), topic, secrecy, retention."""
