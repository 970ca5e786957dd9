from auroralm.eval.generate import generate, truncate


def test_truncate_at_first_stop():
    assert truncate("a\ndef b\nclass c", ["\nclass", "\ndef"]) == "a"
    assert truncate("abc", ["x"]) == "abc"


def test_generate_counts_stops_and_is_deterministic_when_greedy(smoke_run):
    from auroralm.data.tokenizer import load_tokenizer
    from auroralm.train.model import load_pretrained

    hf = smoke_run / "hf" / "cat"
    model, tok = load_pretrained(str(hf)), load_tokenizer(hf)
    prompts = ["def add(a, b):\n", "The river", "Kirjasto on"]
    first = generate(model, tok, prompts, max_new_tokens=12, stop=["\n"])
    assert first == generate(model, tok, prompts, max_new_tokens=12, stop=["\n"])
    assert all(len(c) == 1 and "\n" not in c[0] for c in first)
    sampled = generate(model, tok, prompts, max_new_tokens=8, temperature=0.9, top_p=0.95, n=3)
    assert [len(c) for c in sampled] == [3, 3, 3]
