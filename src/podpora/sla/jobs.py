from podpora.core.schedule import job


@job("sla-scan")
def sla_scan() -> str:
    from .scanner import scan

    counts = scan()
    return ", ".join(f"{k} {v}" for k, v in counts.items())
