"""Answer generation: the `Generator` protocol, the vLLM (OpenAI-compatible) client and the extractive composer."""
