from rest_framework import serializers


class ErasureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(help_text="erased-<id>")
    is_active = serializers.BooleanField()
