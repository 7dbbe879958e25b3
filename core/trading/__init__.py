"""The broker's side (C13-C15, M3, I4): platform events, lifecycle, online, trading accounts, money requests."""
