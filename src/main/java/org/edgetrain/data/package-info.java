/**
 * Tabular data: numeric CSV files ({@link org.edgetrain.data.CsvTable}) checked and turned into datasets ({@link org.edgetrain.data.DataLoader}, {@link org.edgetrain.data.TrainingData}).
 */
package org.edgetrain.data;
