"""torchrun integration: process group, device, DDP or FSDP2 wrapping, and rank-0 helpers.

One process (plain ``auroralm train``) and many (``torchrun ... -m auroralm train``) run the same
code; gloo on CPU, NCCL on GPU.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass
class Env:
    rank: int = 0
    world_size: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def setup() -> Env:
    """Join the process group when launched by torchrun; pick this rank's device."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local}") if torch.cuda.is_available() else torch.device("cpu")
    if world > 1 and not dist.is_initialized():
        if device.type == "cuda":
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    rank = dist.get_rank() if dist.is_initialized() else 0
    return Env(rank=rank, world_size=world, device=device)


def wrap(model: torch.nn.Module, env: Env, mode: str) -> torch.nn.Module:
    """DDP, or FSDP2 (``fully_shard`` per transformer block, then the root) when distributed."""
    model.to(env.device)
    if not env.distributed:
        return model
    if mode == "fsdp":
        from torch.distributed.fsdp import fully_shard

        for block in transformer_blocks(model):
            fully_shard(block)
        fully_shard(model)
        return model
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(model, device_ids=[env.device.index] if env.device.type == "cuda" else None)


def transformer_blocks(model: torch.nn.Module) -> list[torch.nn.Module]:
    """The repeated decoder layers of an HF causal LM (GPTBigCode ``h``, Llama ``layers``)."""
    base = model.base_model
    for name in ("h", "layers"):
        if hasattr(base, name):
            return list(getattr(base, name))
    raise ValueError(f"don't know the transformer blocks of {type(model).__name__}")


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    return model.module if hasattr(model, "module") else model


def mean_across_ranks(value: float, env: Env) -> float:
    if not env.distributed:
        return value
    t = torch.tensor([value], dtype=torch.float64, device=env.device)
    dist.all_reduce(t)
    return float(t.item()) / env.world_size


def any_rank(flag: bool, env: Env) -> bool:
    """True on every rank when it is true on any (so all ranks stop at the same step)."""
    if not env.distributed:
        return flag
    t = torch.tensor([1.0 if flag else 0.0], device=env.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def barrier(env: Env) -> None:
    if env.distributed:
        dist.barrier()


def teardown(env: Env) -> None:
    if env.distributed and dist.is_initialized():
        dist.destroy_process_group()
