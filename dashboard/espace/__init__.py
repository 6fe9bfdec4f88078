"""The association space: sign in with the API key, send, check and correct figures."""
