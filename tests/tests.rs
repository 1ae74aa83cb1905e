mod kano;
