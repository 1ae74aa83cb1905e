mod servqual;
