"""Submissions: organisations and API keys, validation of batches, their transactional store.

Shared by the API (`POST /v1/soumissions`) and the file loader: both validate with
`validation.validate_rows` and write with `store.store_submission`.
"""
