"""Record codes: one numbering whether a record is registered on a page or imported from a ledger."""


def station_code(village_code: str, pk: int) -> str:
    return f"GF{village_code[6:]}-{pk:04d}"  # 光伏电站


def job_code(village_code: str, pk: int) -> str:
    return f"GYG{village_code[6:]}-{pk:05d}"  # 公益岗位


def loan_code(year: int, pk: int) -> str:
    return f"XD{year}-{pk:06d}"  # 小额信贷


def asset_code(year: int, pk: int) -> str:
    return f"ZC{year}-{pk:06d}"  # 扶贫资产


def equity_code(year: int, pk: int) -> str:
    return f"RG{year}-{pk:06d}"  # 资金入股
