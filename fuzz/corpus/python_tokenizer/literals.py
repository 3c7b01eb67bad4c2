x = (r'a\'b' R"c\d" u'\u00e9\N{DASH}' b'\x00\777' f"{y}" Br'z' rb"""tri
ple""" '''q''' "\U0001F600\U00110000\x4" '\
continued')
y = [1, 0x1F, 1e-5, .5j, 1_000] ; z @= a ** b // c >>= 2 -> ... := != <> \
  # comment
def f(a: int = -1) -> None:
	return {'k': a}  # tabs
