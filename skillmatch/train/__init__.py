"""Training data and (to come) distantly supervised training of the skill encoder."""
