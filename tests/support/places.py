"""The areas tests use: Zhangwu (the default county) and its neighbour Fuxin county."""

TEST_COUNTIES = ["210922", "210921"]
PASSWORD = "Test@pass2026x"
VILLAGE = "210922101202"  # 富有村委会, 哈尔套镇, 彰武县
OTHER_VILLAGE = "210922101203"  # 黄花山村委会, same township
TOWNSHIP = "210922101"  # 哈尔套镇
OTHER_TOWNSHIP = "210922102"  # 章古台镇
COUNTY = "210922"
OTHER_COUNTY = "210921"
