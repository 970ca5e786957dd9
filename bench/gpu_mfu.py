"""Model FLOP utilisation of a ~1B-parameter GPTBigCode on one GPU (prepared for an H100).

The setup auroralm uses at scale, on one device: multi-query GPTBigCode (hidden 2048, 24 layers,
16 heads, vocab 49,152, ~1.1B parameters) with SDPA attention, FSDP2 (``fully_shard`` per block,
then the root) with bf16 mixed precision (``param_dtype=bfloat16, reduce_dtype=float32``), each block
compiled with ``torch.compile``, fused AdamW, gradient clipping, random tokens at sequence length 2048.

Timing: ``--warmup`` steps (compilation included) are discarded; then ``--steps`` steps between two
``torch.cuda.synchronize()`` calls, with no host sync inside. MFU uses the formula auroralm's trainer
logs, (6 N + 12 L H S) x tokens/s, against the H100's dense bf16 peak (989 TFLOP/s) and against a bf16
matmul peak measured here. Prints one JSON line. About 2-4 minutes on an H100, most of it compilation.

    python bench/gpu_mfu.py                       # one GPU; sets up its own 1-process group
    torchrun --nproc-per-node 8 bench/gpu_mfu.py   # also runs on N GPUs (MFU is per GPU)

Without a CUDA GPU it says so and exits with status 0, having measured nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

H100_BF16_DENSE_FLOPS = 989e12


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", type=int, default=2048)
    p.add_argument("--layers", type=int, default=24)
    p.add_argument("--heads", type=int, default=16)
    p.add_argument("--vocab", type=int, default=49152)
    p.add_argument("--seq-len", type=int, default=2048)
    p.add_argument("--micro-batch", type=int, default=4, help="sequences per GPU per step (default 4)")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps, compilation included (default 5)")
    p.add_argument("--steps", type=int, default=30, help="timed steps (default 30)")
    p.add_argument("--no-compile", action="store_true", help="eager mode, for comparison")
    return p.parse_args()


def matmul_peak_flops(dtype: torch.dtype = torch.bfloat16, size: int = 8192, iters: int = 50) -> float:
    """Dense matmul FLOP/s on this GPU (large square bf16 GEMMs, as close to the spec peak as PyTorch gets)."""
    a = torch.randn(size, size, dtype=dtype, device="cuda")
    b = torch.randn(size, size, dtype=dtype, device="cuda")
    for _ in range(5):
        a @ b
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(iters):
        a @ b
    torch.cuda.synchronize()
    return 2 * size**3 * iters / (time.perf_counter() - start)


def init_process_group() -> tuple[int, int, torch.device]:
    """Join torchrun's group, or make a 1-process one, so that FSDP2 has a device mesh."""
    import torch.distributed as dist

    for key, value in (("RANK", "0"), ("LOCAL_RANK", "0"), ("WORLD_SIZE", "1"), ("MASTER_ADDR", "127.0.0.1")):
        os.environ.setdefault(key, value)
    os.environ.setdefault("MASTER_PORT", "29517")
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
    torch.cuda.set_device(device)
    dist.init_process_group("nccl", device_id=device)
    return dist.get_rank(), dist.get_world_size(), device


def build_model(args: argparse.Namespace, device: torch.device) -> tuple[torch.nn.Module, int]:
    """The GPTBigCode, FSDP2-sharded per block with bf16 compute; returns it and its parameter count."""
    from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard
    from transformers import GPTBigCodeConfig, GPTBigCodeForCausalLM

    config = GPTBigCodeConfig(
        vocab_size=args.vocab,
        n_positions=args.seq_len,
        n_embd=args.hidden,
        n_layer=args.layers,
        n_head=args.heads,
        multi_query=True,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        use_cache=False,
        attn_implementation="sdpa",
        bos_token_id=0,
        eos_token_id=0,
    )
    torch.manual_seed(0)
    with device:
        model = GPTBigCodeForCausalLM(config)
    params = sum(p.numel() for p in model.parameters())
    mp = MixedPrecisionPolicy(param_dtype=torch.bfloat16, reduce_dtype=torch.float32)
    for block in model.transformer.h:
        if not args.no_compile:
            block.compile()  # per block, as torchtitan: one compiled graph reused by all 24 blocks
        fully_shard(block, mp_policy=mp)
    fully_shard(model, mp_policy=mp)
    model.train()
    return model, params


def main() -> int:
    args = parse_args()
    if not torch.cuda.is_available():
        print("gpu_mfu: no CUDA GPU on this machine; this benchmark needs one (an H100). Nothing was measured.")
        return 0
    import torch.distributed as dist

    rank, world, device = init_process_group()
    peak_measured = matmul_peak_flops()
    model, params = build_model(args, device)
    optim = torch.optim.AdamW(model.parameters(), lr=3e-4, betas=(0.9, 0.95), weight_decay=0.1, fused=True)
    loss_fn = F.cross_entropy if args.no_compile else torch.compile(F.cross_entropy)
    gen = torch.Generator(device=device).manual_seed(rank)

    def step() -> torch.Tensor:
        x = torch.randint(0, args.vocab, (args.micro_batch, args.seq_len + 1), device=device, generator=gen)
        logits = model(input_ids=x[:, :-1]).logits
        loss = loss_fn(logits.float().flatten(0, 1), x[:, 1:].flatten())
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        optim.zero_grad(set_to_none=True)
        return loss.detach()

    started = time.perf_counter()
    for _ in range(args.warmup):
        step()
    torch.cuda.synchronize()
    warmup_s = time.perf_counter() - started
    torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    torch.cuda.synchronize()
    elapsed = time.perf_counter() - start

    tokens_per_s_per_gpu = args.steps * args.micro_batch * args.seq_len / elapsed
    flops_per_token = 6 * params + 12 * args.layers * args.hidden * args.seq_len
    achieved = tokens_per_s_per_gpu * flops_per_token
    result = {
        "device": torch.cuda.get_device_name(device),
        "gpus": world,
        "parameters": params,
        "config": {k: getattr(args, k) for k in ("hidden", "layers", "heads", "vocab", "seq_len", "micro_batch")},
        "fsdp2_bf16": True,
        "torch_compile": not args.no_compile,
        "timed_steps": args.steps,
        "warmup_s": round(warmup_s, 1),
        "step_s": elapsed / args.steps,
        "tokens_per_s": tokens_per_s_per_gpu * world,
        "tokens_per_s_per_gpu": tokens_per_s_per_gpu,
        "tflops_per_gpu": achieved / 1e12,
        "mfu_vs_989_tflops": achieved / H100_BF16_DENSE_FLOPS,
        "measured_bf16_matmul_tflops": peak_measured / 1e12,
        "mfu_vs_measured_peak": achieved / peak_measured,
        "max_memory_gib": torch.cuda.max_memory_allocated(device) / 2**30,
        "final_loss": float(loss),
        "torch": torch.__version__,
    }
    if rank == 0:
        print(json.dumps(result))
    dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
