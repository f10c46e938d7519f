"""Local fakes of external HTTP services (AI providers), served on loopback by the test fixtures."""
