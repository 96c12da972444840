"""Document model + profile → composed paragraphs: the head, the body, the sign-off, the 版记."""
