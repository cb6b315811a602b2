"""The plugin platform: the hooks (:mod:`amtui.plugins.specs`) and the host that finds, loads
and calls plugins (:mod:`amtui.plugins.host`). Plugins themselves import :mod:`amtui.api`."""
