"""One module per area; each registers its commands on the apps in :mod:`bodx.app`."""
