package org.edgetrain.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RingBufferTest {
    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new RingBuffer(6, 1));
        assertThrows(IllegalArgumentException.class, () -> new RingBuffer(1, 1));
        assertEquals(8, new RingBuffer(8, 2).capacity());
    }

    @Test
    void samplesComeOutInOrderAcrossManyWrapArounds() {
        RingBuffer ring = new RingBuffer(4, 2);
        float[] in = new float[2];
        float[] out = new float[2];
        long next = 0;
        for (int i = 0; i < 50; i++) {
            // push 3, take 3: the slots wrap around the 4-slot array every few rounds
            for (int k = 0; k < 3; k++) {
                long s = i * 3L + k;
                in[0] = s;
                in[1] = -s;
                assertTrue(ring.offer(s * 10, in, 0));
            }
            for (int k = 0; k < 3; k++) {
                assertEquals(next * 10, ring.poll(out, 0));
                assertArrayEquals(new float[] {next, -next}, out);
                next++;
            }
            assertEquals(Source.NO_SAMPLE, ring.poll(out, 0));
        }
        assertEquals(0, ring.overruns());
        assertEquals(150, ring.published());
    }

    @Test
    void fullRingDropsTheNewestAndCountsAnOverrun() {
        RingBuffer ring = new RingBuffer(4, 1);
        float[] v = new float[1];
        for (int i = 0; i < 6; i++) {
            v[0] = i;
            boolean ok = ring.offer(i, v, 0);
            assertEquals(i < 4, ok, "sample " + i);
        }
        assertEquals(2, ring.overruns());
        assertEquals(4, ring.size());
        for (int i = 0; i < 4; i++) assertEquals(i, ring.poll(v, 0)); // the oldest four survive, in order
        assertEquals(Source.NO_SAMPLE, ring.poll(v, 0));
        assertFalse(ring.lastPollFollowsGap());
        v[0] = 9;
        assertTrue(ring.offer(9, v, 0)); // room again after the consumer caught up
        v[0] = 10;
        assertTrue(ring.offer(10, v, 0));
        assertEquals(9, ring.poll(v, 0));
        assertTrue(ring.lastPollFollowsGap()); // samples 4 and 5 were lost right before 9
        assertEquals(10, ring.poll(v, 0));
        assertFalse(ring.lastPollFollowsGap());
    }

    @Test
    void producerAndConsumerThreadsSeeEverySampleIntact() throws Exception {
        RingBuffer ring = new RingBuffer(64, 3);
        int n = 200_000;
        Thread producer = new Thread(() -> {
            float[] s = new float[3];
            for (int i = 0; i < n; ) {
                s[0] = i;
                s[1] = i + 0.5f;
                s[2] = -i;
                if (ring.offer(i, s, 0)) i++;
                else Thread.onSpinWait();
            }
        });
        producer.start();
        float[] s = new float[3];
        int expected = 0;
        while (expected < n) {
            long ts = ring.poll(s, 0);
            if (ts == Source.NO_SAMPLE) {
                Thread.onSpinWait();
                continue;
            }
            assertEquals(expected, ts);
            assertEquals((float) expected, s[0]);
            assertEquals(expected + 0.5f, s[1]);
            assertEquals((float) -expected, s[2]);
            expected++;
        }
        producer.join();
        assertEquals(n, ring.published()); // the producer retried when it found the ring full (each time an overrun)
    }
}
