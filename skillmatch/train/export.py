"""Export a trained encoder to ONNX, so inference needs ONNX Runtime and ``tokenizers`` only.

The exported graph takes token ids and the attention mask and returns the unit-length,
mean-pooled sentence embedding (pooling and normalisation are inside the graph); ONNX Runtime's
transformer optimiser fuses attention, layer norms and GELU into single kernels. With
``quantize`` the weights of the MatMul layers are stored in int8 (ONNX Runtime's dynamic
quantisation): a quarter of the size and about twice as fast on CPU. The tokenizer of the
base encoder is copied beside it, so the model folder is self-contained.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from skillmatch.errors import ConfigurationError
from skillmatch.extract.model import ModelSpec

log = logging.getLogger(__name__)

ONNX_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"


def export_onnx(folder: str | Path, quantize: bool = True, opset: int = 17) -> ModelSpec:
    """Write ``encoder.onnx`` and ``tokenizer.json`` into a model folder and name them in its recipe.

    Parameters
    ----------
    folder : str or Path
        A model folder whose recipe names the base encoder and trained weights.
    quantize : bool
        Store int8 weights (dynamic quantisation) instead of float32.
    opset : int
        ONNX opset of the exported graph.

    Returns
    -------
    ModelSpec
        The updated recipe (also saved in the folder).
    """
    import torch

    from skillmatch.extract.encoder import load_sentence_transformer

    folder = Path(folder)
    spec = ModelSpec.load(folder)
    model = load_sentence_transformer(spec.replace(quantize=False), "cpu").eval()
    transformer = model[0].auto_model
    # the eager attention exports as the MatMul/Softmax pattern ONNX Runtime fuses into one Attention op
    transformer.config._attn_implementation = "eager"

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask):
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    tokenizer_source = Path(spec.encoder_path()) / TOKENIZER_FILE
    if not tokenizer_source.is_file():
        raise ConfigurationError(f"{tokenizer_source}: the base encoder has no tokenizer.json to ship with the ONNX file")
    example = torch.ones((2, 8), dtype=torch.long)
    with tempfile.TemporaryDirectory() as work:
        plain = Path(work) / "plain.onnx"
        torch.onnx.export(Pooled().eval(), (example, example), str(plain), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=opset, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
        # fuse attention, layer norms and GELU into ONNX Runtime's transformer kernels
        from onnxruntime.transformers import optimizer

        config = transformer.config
        fused = Path(work) / "fused.onnx"
        optimizer.optimize_model(str(plain), model_type="bert", num_heads=config.num_attention_heads,
                                 hidden_size=config.hidden_size, opt_level=1).save_model_to_file(str(fused))
        target = folder / ONNX_FILE
        if quantize:
            import onnx
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(fused), str(Path(work) / "int8.onnx"), weight_type=QuantType.QInt8,
                             per_channel=True, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
            shutil.copyfile(Path(work) / "int8.onnx", target)
        else:
            shutil.copyfile(fused, target)
    shutil.copyfile(tokenizer_source, folder / TOKENIZER_FILE)
    updated = spec.replace(onnx=ONNX_FILE, tokenizer=TOKENIZER_FILE)
    updated.save(folder)
    log.info("exported %s (%s, %.1f MB)", target, "int8" if quantize else "fp32", target.stat().st_size / 2**20)
    return ModelSpec.load(folder)
