"""Pure views: Dataset + parsed query → plain values (figures, DataFrames, records); no Dash."""
