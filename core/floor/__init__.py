"""The live floor (issue 14): who of my desks is signed in and what they do, and the lists' health."""
