/**
 * Files: the edgetrain model format ({@link org.edgetrain.io.ModelFile}), PyTorch-compatible safetensors ({@link org.edgetrain.io.Safetensors}), named tensors ({@link org.edgetrain.nn.StateDict}) and atomic writes.
 */
package org.edgetrain.io;
