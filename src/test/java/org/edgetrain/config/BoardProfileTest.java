package org.edgetrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BoardProfileTest {
    @Test
    void aBoardProfileSetsEngineDefaultsAndTheConfigWins() {
        RunConfig pi4 = RunConfig.parse("c.conf", "[model]\nlayers = dense(2)\n[engine]\nboard = pi4\n");
        assertEquals(4, pi4.threads());
        assertEquals("auto", pi4.kernels());
        RunConfig own = RunConfig.parse("c.conf", "[model]\nlayers = dense(2)\n[engine]\nboard = armv6\nthreads = 2\n");
        assertEquals(2, own.threads());
        assertEquals("java", own.kernels());
        RunConfig none = RunConfig.parse("c.conf", "[model]\nlayers = dense(2)\n");
        assertEquals(1, none.threads());
        assertEquals("auto", none.kernels());
    }

    @Test
    void everyProfileInBoardsIsListedAndValid() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("boards"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertEquals(List.of(RunConfig.BOARDS.split(", ")).stream().sorted().toList(), names);
            for (String n : names) RunConfig.parse("c.conf", "[model]\nlayers = dense(2)\n[engine]\nboard = " + n + "\n");
        }
    }

    /** The board name is checked by hand as {@code [a-z0-9-]+} was: no jar lookup for a name with a path or dot in it. */
    @Test
    void boardNamesAreWhatTheirFormerExpressionAllowed() {
        for (String n : new String[] {"pi4", "pi-zero-2w", "x86-64", "-", "", "Pi4", "pi4/../x", "pi4.conf", "pi 4", "pi_4", "p\u0131"}) {
            assertEquals(n.matches("[a-z0-9-]+"), RunConfig.isBoardName(n), n);
        }
        org.edgetrain.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.edgetrain.BadInputException.class,
                () -> RunConfig.parse("c.conf", "[model]\nlayers = dense(2)\n[engine]\nboard = ../boards/pi4\n"));
        assertEquals("c.conf:4: key engine.board: found '../boards/pi4'; allowed: " + RunConfig.BOARDS, e.getMessage());
    }
}
