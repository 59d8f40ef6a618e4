import warnings

warnings.simplefilter("ignore", Warning)
