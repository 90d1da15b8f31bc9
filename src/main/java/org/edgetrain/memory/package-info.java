/**
 * Planning and owning memory: {@link org.edgetrain.memory.MemoryPlan} computes the exact bytes of every region before anything is allocated; {@link org.edgetrain.memory.Arena} is the one fp32 block a network lives in.
 */
package org.edgetrain.memory;
