"""The bottom every part stands on: the one settings object, the bucket access, the signed
identity tokens. It imports no other product package."""
