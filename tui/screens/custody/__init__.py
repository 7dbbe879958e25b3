"""The custody screens (C17, F3): handing a client over from the card, the possible duplicates,
two cards side by side and their merge."""
