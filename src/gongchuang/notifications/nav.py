# The inbox link sits in the account area of the header (base.html), not in the menu.
