"""The demo unit: a realistic organisation and a quarter of its records, built through the real use cases."""
