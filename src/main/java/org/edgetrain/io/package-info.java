/**
 * Files: the edgetrain model format ({@link org.edgetrain.io.ModelFile}), PyTorch-compatible safetensors ({@link org.edgetrain.io.Safetensors}), named tensors ({@link org.edgetrain.io.StateDict}) and atomic writes.
 */
package org.edgetrain.io;
