"""Images that carry AI labels, made here: GB 45438 AIGC fields (PNG text, XMP, EXIF) and a
C2PA manifest signed by c2pa-python with a throwaway test certificate."""

import datetime
import io
import json

from PIL import Image, PngImagePlugin

from gongchuang.submissions import aigc

PRODUCER_LABEL = {
    "Label": "1",
    "ContentProducer": "001191110108MA01TEST000000",
    "ProduceID": "p-42",
}


def plain_png(colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, "PNG")
    return out.getvalue()


def plain_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 30)).save(out, "JPEG")
    return out.getvalue()


def png_with_text_label(label=PRODUCER_LABEL, *, with_gps=False) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", json.dumps(label))
    options = {"pnginfo": info}
    if with_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 200, 90)).save(out, "PNG", **options)
    return out.getvalue()


def png_with_xmp_label(label=PRODUCER_LABEL) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", aigc.xmp_packet(label).decode())
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 20, 160)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_exif_label(label=PRODUCER_LABEL) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0" + json.dumps({"AIGC": label}).encode()
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (1, 2, 3)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_with_broken_c2pa_box() -> bytes:
    png = plain_png()
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + aigc._png_chunk(b"caBX", b"\0\0\0\x10jumbc2pa-junk") + png[iend:]


def _test_certificates():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def name(cn):
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Gongchuang tests"),
            ]
        )

    def builder(subject, public_key, serial):
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(name("Test CA"))
            .public_key(public_key)
            .serial_number(serial)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
        )

    ca = (
        builder(name("Test CA"), ca_key.public_key(), 1)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        builder(name("Test signer"), key.public_key(), 2)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(
        serialization.Encoding.PEM
    )
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return chain, private


def png_with_c2pa() -> bytes:
    """A PNG signed with a C2PA manifest declaring AI-generated media."""
    import c2pa

    chain, private = _test_certificates()
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(alg="es256", sign_cert=chain, private_key=private, ta_url=None)
    )
    manifest = {
        "claim_generator_info": [{"name": "test-generator", "version": "1"}],
        "title": "generated.png",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": "http://cv.iptc.org/newscodes/"
                            "digitalsourcetype/trainedAlgorithmicMedia",
                        }
                    ]
                },
            }
        ],
    }
    source, signed = io.BytesIO(plain_png((250, 10, 10))), io.BytesIO()
    with c2pa.Builder(json.dumps(manifest)) as builder:
        builder.sign(signer, "image/png", source, signed)
    return signed.getvalue()
