"""Input validation and output shapes of the API, per resource. Serializers never save."""
