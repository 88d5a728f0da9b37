"""Checks on uploaded files: what a file really is, decided by its content.

Students rename files, phones produce odd containers and a few people will try
to upload a web page called ``artwork.png``. Everything here therefore looks at
the bytes, never trusts the name, and reads only what it needs: the head of the
file, the ZIP central directory, the image header, the MP4 box headers.

Modules (import from them directly; none but :mod:`.malware` touches the database):

- :mod:`.validate` ``validate_upload(fileobj, *, name, allowed_kinds, max_bytes, ...) -> Sniffed``,
  ``kinds_label(kinds)`` (the kinds in words: 图片（PNG、JPG…）)
- :mod:`.sniff` ``sniff(fileobj) -> Sniffed``, ``Sniffed``, ``UNKNOWN``, ``KINDS``
- :mod:`.names` ``clean_filename(name) -> str``
- :mod:`.images` ``strip_image_metadata(src, dst)``, ``make_thumbnail(src, dst, size)``
- :mod:`.video` ``video_duration_seconds(path)``, ``video_poster(path, dst)``
- :mod:`.archives` ``check_zip(fileobj, *, max_uncompressed, max_members)``
- :mod:`.documents` ``check_pdf(fileobj, size)``
- :mod:`.clamd` ``scan_for_malware(source)``, ``malware_scanning_enabled()``,
  ``MalwareScanError`` (the optional ClamAV client)
- :mod:`.malware` ``upload_refuse_if_infected(...)``: scan, quarantine, audit
- :mod:`.hashing` ``sha256_of(fileobj)``, ``sha256_of_path(path)``
- :mod:`.errors` the stable ``CODE_*`` rejection codes

Rejections raise :class:`gongchuang.common.errors.DomainError` whose ``code``
is one of the ``CODE_*`` constants; the messages are translated lazily
(nothing is rendered at import time).
"""
