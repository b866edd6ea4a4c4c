# databits_finetune.py — fine-tunes a chat model on a Databits Workbench export.
#
# Copyright 2026 The Databits Workbench authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Databits Workbench uploads this script next to the export's train.jsonl (and val.jsonl)
# on a Unity Catalog Volume and runs it as a one-time Databricks Job. It fine-tunes the
# base model with LoRA (transformers + TRL + PEFT), logs the training to MLflow, registers
# the model in Unity Catalog, and writes a small result JSON (model version, metrics) next
# to the data, which the app reads when the job has ended.

import argparse
import json
import math
import os
import sys
import tempfile
import time


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Fine-tune a chat model on a Databits export")
    parser.add_argument("--train", required=True, help="train.jsonl (chat messages form)")
    parser.add_argument("--val", default="", help="val.jsonl, when the export was split")
    parser.add_argument("--base-model", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--registered-model-name", required=True, help="catalog.schema.model")
    parser.add_argument("--experiment", required=True, help="MLflow experiment path")
    parser.add_argument("--output", required=True, help="where to write the result JSON")
    parser.add_argument("--run-name", default="databits-finetune")
    return parser.parse_args(argv)


def read_jsonl(path):
    """Reads chat examples, checking them the way the app did before the upload."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            messages = row.get("messages")
            if not isinstance(messages, list) or not messages:
                raise ValueError(f"{path}, line {number}: no messages")
            if messages[-1].get("role") != "assistant":
                raise ValueError(f"{path}, line {number}: the last message is not the assistant's")
            rows.append({"messages": messages})
    if not rows:
        raise ValueError(f"{path}: no examples")
    return rows


def write_result(path, result):
    # Written whole, then renamed, so the app never reads half a file.
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".result-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(result, f, allow_nan=False)
    os.replace(tmp, path)


def train(args):
    # Imported here so that --help and the checks above work without the GPU stack.
    import mlflow
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
    from trl import SFTConfig, SFTTrainer

    train_rows = read_jsonl(args.train)
    val_rows = read_jsonl(args.val) if args.val and os.path.exists(args.val) else []

    mlflow.set_registry_uri("databricks-uc")
    mlflow.set_experiment(args.experiment)

    tokenizer = AutoTokenizer.from_pretrained(args.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
    model = AutoModelForCausalLM.from_pretrained(args.base_model, torch_dtype=dtype)

    peft_config = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05,
                             target_modules="all-linear", task_type="CAUSAL_LM")
    output_dir = tempfile.mkdtemp(prefix="databits-finetune-")
    config = SFTConfig(
        output_dir=output_dir,
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=4,
        logging_steps=10,
        eval_strategy="epoch" if val_rows else "no",
        save_strategy="no",
        report_to=["mlflow"],
        run_name=args.run_name,
        bf16=dtype == torch.bfloat16,
    )

    started = time.time()
    with mlflow.start_run(run_name=args.run_name) as run:
        mlflow.log_params({
            "base_model": args.base_model,
            "epochs": args.epochs,
            "learning_rate": args.learning_rate,
            "train_examples": len(train_rows),
            "val_examples": len(val_rows),
        })
        trainer = SFTTrainer(
            model=model,
            args=config,
            train_dataset=Dataset.from_list(train_rows),
            eval_dataset=Dataset.from_list(val_rows) if val_rows else None,
            processing_class=tokenizer,
            peft_config=peft_config,
        )
        outcome = trainer.train()
        # A loss that diverged is no number JSON can carry: it is left out, as other metrics are.
        metrics = {}
        if math.isfinite(outcome.training_loss):
            metrics["train_loss"] = float(outcome.training_loss)
        if val_rows:
            for key, value in trainer.evaluate().items():
                if isinstance(value, (int, float)) and math.isfinite(value):
                    metrics[key.replace("/", "_")] = float(value)
        metrics["train_runtime_s"] = time.time() - started
        mlflow.log_metrics(metrics)

        merged = trainer.model.merge_and_unload()
        generator = pipeline("text-generation", model=merged, tokenizer=tokenizer)
        info = mlflow.transformers.log_model(
            transformers_model=generator,
            artifact_path="model",
            task="llm/v1/chat",
            registered_model_name=args.registered_model_name,
        )
        version = getattr(info, "registered_model_version", None)

    return {
        "model_name": args.registered_model_name,
        "model_version": str(version) if version is not None else None,
        "training_run_id": run.info.run_id,
        "metrics": metrics,
        "train_count": len(train_rows),
        "val_count": len(val_rows),
    }


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = train(args)
    except Exception as error:  # the app shows this message; the job still fails
        write_result(args.output, {"error": str(error)})
        raise
    write_result(args.output, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
