/**
 * Offline diagnosis: the {@code doctor} checklist, the gradient check, the learning-rate range test and the data, init
 * and loss checks. They build and run trainers, so this package sits above {@code train} (and {@code config}).
 */
package org.edgetrain.diagnose;
