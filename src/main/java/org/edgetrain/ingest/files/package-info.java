/** Sources that need no hardware besides a file or a pipe: CSV files (optionally followed as they grow) and stdin. */
package org.edgetrain.ingest.files;
