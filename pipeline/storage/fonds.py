"""全宗 (fonds): the office a pooled archive's documents came from; a reader is granted some of
them, or all (``ALL_FONDS``). Shared by the backends and the interfaces that grant them."""

ALL_FONDS = "*"  # a grant of every 全宗 (``gongwen fonds grant USER '*'``)
