"""Write the generated raw tables as CSV files in the bank's export format."""
from __future__ import annotations

from pathlib import Path

from db.atomic import atomic_path
from db.generator import DemoDataGenerator, GeneratorConfig


def export_generated_csv(config: GeneratorConfig, out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    generator = DemoDataGenerator(config)
    base_path = out_dir / "customer_base.csv"
    behavior_path = out_dir / "customer_behavior_assets.csv"
    with atomic_path(base_path) as tmp:
        generator.customer_base().to_csv(tmp, index=False)
    with atomic_path(behavior_path) as tmp:
        for k, frame in enumerate(generator.behavior_months()):
            frame.to_csv(tmp, index=False, mode="a", header=k == 0)
    return base_path, behavior_path
