/**
 * The project's logging: a static facade ({@link org.edgetrain.log.Log}) with tinylog-style {@code {}} placeholders,
 * the console, the daemon's rolling file behind one writing thread, and the SLF4J provider Pi4J logs through. Written
 * for the daemon's memory: tinylog 2.7 loaded ~450 JDK classes (SecurityManager, java.lang.management, CLDR locale
 * data, java.time, ServiceLoader) for features the project does not use. At the bottom of the package order, beside
 * util: it names no other package of ours.
 */
package org.edgetrain.log;
