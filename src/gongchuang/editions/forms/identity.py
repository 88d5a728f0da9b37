"""The edition's identity: an image upload (banner, logo, seal) and the certificates'
issuer lines."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import ImageKind

IMAGE_ACCEPT = "image/png,image/jpeg,image/webp"
HELP = {
    ImageKind.BANNER: _("PNG, JPG or WebP, at most 5 MB; wide, e.g. 1920 × 480 pixels."),
    ImageKind.LOGO: _("PNG, JPG or WebP, at most 1 MB; a transparent PNG looks best."),
    ImageKind.SEAL: _("A PNG with a transparent background, at most 2 MB."),
}


class EditionImageForm(forms.Form):
    """One image of ``kind``; a logo also takes whose logo it is."""

    file = forms.FileField(label=_("Image"))
    name = forms.CharField(label=_("Whose logo"), max_length=120, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        accept = "image/png" if kind == ImageKind.SEAL else IMAGE_ACCEPT
        self.fields["file"].widget.attrs["accept"] = accept
        self.fields["file"].help_text = HELP[kind]
        if kind == ImageKind.LOGO:
            self.fields["name"].required = True
        else:
            del self.fields["name"]


class IssuersForm(forms.Form):
    issuers = forms.CharField(
        label=_("Issuer lines"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Printed above the date on every certificate, one per line (at most four); "
            "the seal is placed over them. Empty: the hosts."
        ),
        required=False,
    )

    def values(self) -> dict:
        return {"issuers": self.cleaned_data["issuers"].splitlines()}
