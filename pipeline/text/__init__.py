"""Text utilities shared by stages: segmentation with the domain lexicon, normalisation."""
