"""Local fakes of external HTTP services (AI providers, storage APIs), served on loopback by tests."""
