/** CSV lines from a serial port: {@link org.edgetrain.connect.serial.SerialSource}. */
package org.edgetrain.connect.serial;
